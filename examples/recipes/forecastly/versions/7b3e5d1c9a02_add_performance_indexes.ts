import { revision } from "stratum";

export default revision({
  id: "7b3e5d1c9a02",
  parents: ["1f0c2a9d4e01"],
  message: "add performance indexes",
  async upgrade(op) {
    // CONCURRENTLY cannot run inside a transaction: autocommit runs it on its own.
    await op.autocommit(async (op) => {
      await op.createIndex("ix_predictions_date", "predictions", ["date"], { concurrently: true });
    });
  },
  async downgrade(op) {
    await op.autocommit(async (op) => {
      await op.dropIndex("ix_predictions_date", { concurrently: true });
    });
  },
});
