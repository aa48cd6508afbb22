import { defineConfig } from "stratum";

export default defineConfig({
  // Two databases, one history. Logical replication copies rows, not DDL, so the
  // reporting replica runs the same revisions as the primary.
  envs: {
    primary: { url: process.env.PRIMARY_URL ?? "postgres://postgres@127.0.0.1:5432/corrdata" },
    replica: { url: process.env.REPLICA_URL ?? "postgres://postgres@127.0.0.1:5432/corrdata_reporting" },
  },
  defaultEnv: "primary",
  versionPaths: ["versions"],
});
