import { revision } from "stratum";

export default revision({
  id: "0a1b2c3d4e03",
  parents: ["0a1b2c3d4e02"],
  message: "add performance indexes (disabled)",
  // Disabled: it referenced columns that never reached production.
  async upgrade() {},
  async downgrade() {},
});
