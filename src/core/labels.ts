/** Labels on every container svc creates: it finds its own containers by them and never touches others. */
export const LABEL_MANAGED = 'io.svc.managed';
export const LABEL_WORKLOAD = 'io.svc.workload';
export const LABEL_INSTANCE = 'io.svc.instance';
export const LABEL_DIALECT = 'io.svc.dialect';

export const managedLabels = (workloadId: string, instance: number, dialect: string): Record<string, string> => ({
  [LABEL_MANAGED]: 'true',
  [LABEL_WORKLOAD]: workloadId,
  [LABEL_INSTANCE]: String(instance),
  [LABEL_DIALECT]: dialect,
});

/** `docker ps --format '{{json .}}'` joins labels as "k=v,k=v". */
export const parseLabelList = (joined: string): Record<string, string> => {
  const labels: Record<string, string> = {};
  for (const pair of joined ? joined.split(',') : []) {
    const eq = pair.indexOf('=');
    if (eq > 0) labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
};
