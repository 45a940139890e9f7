/**
 * The one docker question every listing asks: all containers svc manages, running or not, one
 * JSON document per line. The adapter's listManaged and the launcher's early listing
 * (launch/early-listing.ts) ask it in exactly these words, so the early answer can stand for it.
 * The answer is parsed here too.
 */
import { LABEL_MANAGED, parseLabelList } from '../core/labels.js';
import type { ContainerSummary } from '../engine/ports/runtime.js';

export const LIST_MANAGED_ARGS: readonly string[] = [
  'ps',
  '--all',
  '--no-trunc',
  `--filter=label=${LABEL_MANAGED}=true`,
  '--format={{json .}}',
];

const exitCodeFromStatus = (status: string): number | null => {
  const match = /^Exited \((-?\d+)\)/.exec(status);
  return match ? Number(match[1]) : null;
};

/** What `docker ps` printed for LIST_MANAGED_ARGS. */
export const parseManagedListing = (stdout: string): ContainerSummary[] =>
  stdout
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const row = JSON.parse(line) as Record<string, string>;
      return {
        id: row.ID,
        name: row.Names,
        image: row.Image,
        command: row.Command,
        state: row.State,
        status: row.Status,
        exitCode: exitCodeFromStatus(row.Status),
        createdAt: row.CreatedAt,
        labels: parseLabelList(row.Labels),
      };
    });
