import { revision } from "stratum";

export default revision({
  id: "0a1b2c3d4e02",
  parents: ["0a1b2c3d4e01"],
  message: "add embedding placeholders",
  async upgrade(op) {
    // Placeholders for the vector search phase (pgvector not installed yet).
    await op.addColumn("events", { name: "embedding", type: "real[]" });
    await op.addColumn("signposts", { name: "embedding", type: "real[]" });
  },
  async downgrade(op) {
    await op.dropColumn("signposts", "embedding");
    await op.dropColumn("events", "embedding");
  },
});
