#!/usr/bin/env node
/**
 * The npm registry reachable from our machines serves only Linux builds of platform-specific
 * packages, so `npm install` writes a package-lock.json without the other platforms' optional
 * bindings (jest's unrs-resolver has 20), and `npm ci` then refuses the lock as out of sync.
 * This adds a record for each missing optional dependency, with the os/cpu its name states, so
 * `npm ci` sees a complete lock and skips them as not for this platform, as it would anyway.
 * Run it after any `npm install` that rewrites package-lock.json.
 */
import fs from 'node:fs';

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32'];
const CPU = {
  arm: 'arm',
  'arm-eabi': 'arm',
  arm64: 'arm64',
  x64: 'x64',
  ia32: 'ia32',
  loong64: 'loong64',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
};

const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
let added = 0;
for (const [, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) continue;
    const parts = name.split('/').pop().split('-');
    const os = parts.find((p) => OS.includes(p));
    const cpuPart = parts
      .slice(parts.indexOf(os) + 1)
      .join('-')
      .replace(/-(gnu|musl|msvc|gnueabihf|musleabihf)$/, '');
    const cpu = CPU[cpuPart] ?? CPU[cpuPart.split('-')[0]];
    if (!os || !cpu) throw new Error(`cannot tell the platform of ${name}`);
    lock.packages[key] = { version, ...(pkg.dev ? { dev: true } : {}), optional: true, os: [os], cpu: [cpu] };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lockfile: added ${added} platform records`);
