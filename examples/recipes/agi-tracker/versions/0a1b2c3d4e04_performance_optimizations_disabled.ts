import { revision } from "stratum";

export default revision({
  id: "0a1b2c3d4e04",
  parents: ["0a1b2c3d4e03"],
  message: "performance optimizations (disabled)",
  // Disabled: it referenced columns that never reached production.
  async upgrade() {},
  async downgrade() {},
});
