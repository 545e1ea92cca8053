/** Vite's `?raw` imports (tests only): the file's text, so tests read fixtures without node:fs. */
declare module '*?raw' {
  const text: string;
  export default text;
}
