/** Where the CDR transports deliver what they read; `origin` names the connection or file position. */
export interface CdrInput {
  line(text: string, origin: string): void;
  oversized(bytes: number, origin: string): void;
  /** a connection broke before the line was finished */
  truncated(text: string, origin: string): void;
}
