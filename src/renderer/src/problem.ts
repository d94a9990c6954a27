/** What the UI shows for a refusal or an error: the engine's code, its title, message and remedy. */
import type { ErrorCode } from '../../shared/errors';

export interface Problem {
  code: ErrorCode;
  title: string;
  message: string;
  remedy: string;
}
