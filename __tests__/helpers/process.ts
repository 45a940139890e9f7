/** Whether a process with this pid exists (the tests' children and the svc processes they start). */
export const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
