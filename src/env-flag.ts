/** Whether an environment variable is set to turn something on: anything but unset, "", "0" or "false". */
export function envFlagSet(name: string): boolean {
  const value = process.env[name];
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}
