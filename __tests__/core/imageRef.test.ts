import { imageReferenceParts, isImageReference } from '../../src/core/imageRef.js';

const HEX64 = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);

describe('isImageReference: Docker reference grammar', () => {
  it.each([
    'busybox',
    'svc-busybox:latest',
    'library/busybox:1.36',
    'docker.io/library/busybox:1.36.1-musl',
    'ghcr.io/owner/repo/sub:v1.2_3',
    'localhost/app',
    'localhost:5000/app:dev',
    'registry.example.com:443/team/app',
    '192.168.0.10:5000/app',
    '[::1]:5000/app:x',
    'my_app',
    'my__app',
    'my-app',
    'my--app',
    'a.b.c',
    'app:TAG_with.dots-and-dashes',
    `app:_${'x'.repeat(127)}`,
    `busybox@sha256:${HEX64}`,
    `busybox:1.36@sha256:${HEX64}`,
    HEX64,
    `sha256:${HEX64}`,
    'fc15e9b320ff',
  ])('accepts %s', (ref) => {
    expect(isImageReference(ref)).toBe(true);
  });

  it.each([
    ['a Docker flag', '--pid=host'],
    ['a short flag', '-v=/:/h'],
    ['a flag with a value', '--volume=/:/hostroot'],
    ['--privileged', '--privileged'],
    ['empty', ''],
    ['uppercase in the path', 'BusyBox'],
    ['uppercase after a registry', 'docker.io/Library/busybox'],
    ['a leading separator', '_app'],
    ['a trailing separator', 'app-'],
    ['three underscores', 'my___app'],
    ['a separator before a slash', 'app./x'],
    ['an empty path component', 'a//b'],
    ['a trailing slash', 'app/'],
    ['whitespace', 'busy box'],
    ['a newline', 'busybox\n'],
    ['a tag starting with a dot', 'app:.x'],
    ['a tag too long', `app:${'x'.repeat(129)}`],
    ['an empty tag', 'app:'],
    ['a short digest', 'busybox@sha256:abc'],
    ['an uppercase digest', `busybox@sha256:${HEX64.toUpperCase()}`],
    ['another algorithm', `busybox@md5:${HEX64}`],
    ['a digest without a name', `@sha256:${HEX64}`],
    ['a port without a host', ':5000/app'],
    ['shell text', 'busybox;rm'],
    ['a name over 255 characters', `a/${'b'.repeat(255)}`],
  ])('refuses %s', (_case, ref) => {
    expect(isImageReference(ref)).toBe(false);
  });
});

describe("imageReferenceParts: Fly's image_ref, and DC's default service name", () => {
  it.each([
    ['busybox', '', 'busybox', 'latest', ''],
    ['library/busybox:1.36', '', 'library/busybox', '1.36', ''],
    ['localhost/app', 'localhost', 'app', 'latest', ''],
    ['localhost:5000/team/app:dev', 'localhost:5000', 'team/app', 'dev', ''],
    ['ghcr.io/owner/repo:v1', 'ghcr.io', 'owner/repo', 'v1', ''],
    ['owner/repo', '', 'owner/repo', 'latest', ''],
    [`busybox:1.36@sha256:${HEX64}`, '', 'busybox', '1.36', `sha256:${HEX64}`],
    [`registry.example.com/app@sha256:${HEX64}`, 'registry.example.com', 'app', 'latest', `sha256:${HEX64}`],
  ])('%s', (image, registry, repository, tag, digest) => {
    expect(imageReferenceParts(image)).toEqual({ registry, repository, tag, digest });
  });
});
