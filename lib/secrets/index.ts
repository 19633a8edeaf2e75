import "server-only";

export type { SecretsProvider } from "./types";
export { SecretError } from "./types";
export { getSecrets, activeKeyPairId } from "./get-secrets";
export { createSsmSecrets } from "./ssm-secrets";
export { createLocalSecrets } from "./local-secrets";
export { ensureDevKeyPair, type DevKeyPair } from "./dev-key-pair";
export { previewTrustedKeySpec } from "./preview-trusted-key-spec";
export { putPrivateKeyParameter } from "./put-private-key";
export {
  generateSigningKeyPair,
  localKeyId,
  publicKeyPem,
  writeKeyPair,
  KEY_FILES,
} from "./key-pair";
