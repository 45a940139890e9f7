/**
 * The web page's files (dist/web/, made by the build from src/web/): read once, kept in memory with
 * a gzip copy and an ETag. The page is a few files of svc's own: nothing is fetched from elsewhere.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export const WEB_FILES = ['index.html', 'app.js', 'app.css'] as const;

export const loadAssets = (dir: string): Map<string, Asset> | null => {
  const assets = new Map<string, Asset>();
  for (const name of WEB_FILES) {
    let body: Buffer;
    try {
      body = fs.readFileSync(path.join(dir, name));
    } catch {
      return null;
    }
    assets.set(name, {
      type: TYPES[path.extname(name)] ?? 'application/octet-stream',
      body,
      gzip: gzipSync(body, { level: 9 }),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    });
  }
  return assets;
};
