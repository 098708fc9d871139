/** One figure `npm run bench` prints, beside its bound when it has one. */
export interface BenchFigure {
  readonly bench: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** The figure's target, when it has one, e.g. `>= 0.45`. */
  readonly bound?: string;
}
