/**
 * Docker's image reference grammar (github.com/distribution/reference), so that nothing but an
 * image reaches the image position of `docker create`: a value like `--pid=host` is refused there,
 * not taken for a flag. Pure.
 */

const ALPHANUMERIC = '[a-z0-9]+';
/** `.`, `_`, `__` or a run of dashes, each between alphanumerics. */
const SEPARATOR = '(?:[._]|__|-+)';
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const REGISTRY = `${HOST}(?::[0-9]+)?`;
const NAME = `(?:${REGISTRY}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = 'sha256:[a-f0-9]{64}';

const REFERENCE = new RegExp(`^(?<name>${NAME})(?::${TAG})?(?:@${DIGEST})?$`);
/** An image id, as `docker images --no-trunc` prints it, with or without its algorithm. */
const IMAGE_ID = /^(?:sha256:)?[a-f0-9]{64}$/;
/** Docker refuses longer repository names. */
const NAME_MAX_LENGTH = 255;

export const isImageReference = (ref: string): boolean => {
  if (IMAGE_ID.test(ref)) return true;
  const name = REFERENCE.exec(ref)?.groups?.name;
  return name !== undefined && name.length <= NAME_MAX_LENGTH;
};

/** The form the usage and config errors name, so the user sees what was expected. */
export const IMAGE_REFERENCE_FORM = '[REGISTRY[:PORT]/]NAME[:TAG][@sha256:DIGEST] or an image id';

export interface ImageReferenceParts {
  /** Empty for Docker Hub. */
  registry: string;
  repository: string;
  tag: string;
  /** `sha256:...`, or empty. */
  digest: string;
}

/** A reference in its parts: Docker's rule takes a first part with a dot or a port, or localhost, for a registry. */
export const imageReferenceParts = (image: string): ImageReferenceParts => {
  const [name, digest = ''] = image.split('@');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tagged = colon > slash;
  const repository = tagged ? name.slice(0, colon) : name;
  const firstPart = repository.split('/')[0];
  const hasRegistry = repository.includes('/') && (/[.:]/.test(firstPart) || firstPart === 'localhost');
  return {
    registry: hasRegistry ? firstPart : '',
    repository: hasRegistry ? repository.slice(firstPart.length + 1) : repository,
    tag: tagged ? name.slice(colon + 1) : 'latest',
    digest,
  };
};
