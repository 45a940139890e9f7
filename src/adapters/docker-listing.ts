/**
 * The one docker question every listing asks: all containers svc manages, running or not, one
 * JSON document per line. The adapter's listManaged and the launcher's early listing
 * (launch/early-listing.ts) ask it in exactly these words, so the early answer can stand for it.
 */
import { LABEL_MANAGED } from '../core/labels.js';

export const LIST_MANAGED_ARGS: readonly string[] = ['ps', '--all', '--no-trunc', `--filter=label=${LABEL_MANAGED}=true`, '--format={{json .}}'];
