/** A seed file that cannot be served; `message` lists every problem, one per line, for the operator to fix. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
  readonly problems: readonly string[];

  constructor(path: string, problems: readonly string[]) {
    super(`The seed ${path} cannot be loaded:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.problems = problems;
  }
}
