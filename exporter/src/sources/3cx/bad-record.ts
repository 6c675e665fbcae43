/**
 * A CDR line or row that cannot become a call. `reason` is a short fixed phrase (it becomes a metric label);
 * `detail` says what exactly was wrong, for the log and the reject file.
 */
export class BadRecord extends Error {
  constructor(
    readonly reason: string,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'BadRecord';
  }
}
