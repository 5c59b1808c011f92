/** Runs `work` for every host, `parallel` at a time, results in host order. */
export async function forEachHost<T>(
  hosts: readonly string[],
  parallel: number,
  work: (host: string) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(hosts.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < hosts.length) {
      const index = next++;
      results[index] = await work(hosts[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, hosts.length)) }, worker));
  return results;
}
