import { packageVersion } from "../package-files.js";

/** `stratum x.y.z`, recorded in the history table with every step. */
export function toolVersion(): string {
  return `stratum ${packageVersion()}`;
}
