/**
 * The lock port: one user operation per workload at a time, across svc processes. The store's state
 * lock is held only for a read-modify-write; an operation also spends seconds in Docker, and two of
 * those interleaving on one workload would each create and remove containers the other is counting
 * on. adapters/operation-lock.ts implements it with lock files in the state dir.
 */
export interface OperationLock {
  /** Runs `work` holding the workload's operation lock; waits while another process holds it. */
  hold<T>(workloadId: string, work: () => Promise<T>): Promise<T>;
  /** Whether some process is in the middle of a user operation on this workload (reconcile then leaves it alone). */
  isHeld(workloadId: string): boolean;
}
