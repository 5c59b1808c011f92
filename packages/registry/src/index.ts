export {
  parseReference,
  pinnedReference,
  repositoryName,
  apiHost,
  isLoopbackRegistry,
  isDigest,
  type ImageReference,
} from './reference.js';
export { parseAuthenticate, basicAuthorization, type AuthChallenge, type Credentials } from './auth.js';
export {
  RegistryClient,
  RegistryError,
  type RegistryErrorCode,
  MEDIA_TYPES,
  MANIFEST_ACCEPT,
  sha256,
  type Descriptor,
  type Manifest,
  type FetchedManifest,
  type RegistryClientOptions,
} from './client.js';
