export interface Config {
  karpenterTs?: {
    /**
     * The Backstage proxy path of the karpenter-ts controller API (a `proxy.endpoints` key), default `/karpenter-ts`.
     * @visibility frontend
     */
    proxyPath?: string;
  };
}
