/** Types `inject('awsEmulatorEndpoint')` in tests of any project that imports this package's aws-emulator entry. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the run's moto server (set by global-setup.ts). */
    awsEmulatorEndpoint: string;
  }
}

export {};
