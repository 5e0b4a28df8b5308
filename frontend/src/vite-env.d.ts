/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** API root, default `/api/v1/` (same origin as the app). */
  readonly VITE_HDS_API_ROOT?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
