import { defineConfig } from "stratum";

export default defineConfig({
  // A MySQL or MariaDB database: DATABASE_URL=mysql://user:password@host:3306/app
  versionPaths: ["versions"],
});
