/**
 * Bad input, flags or config: each problem on its own line under the command's name, and exit
 * code 2 (1 is kept for work that ran and did not converge).
 */
export function reportProblems(command: string, error: unknown): 2 {
  for (const line of (error as Error).message.split('\n')) console.error(`tributary ${command}: ${line}`);
  return 2;
}
