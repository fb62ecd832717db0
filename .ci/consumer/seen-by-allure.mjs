// An Allure 3 plugin that writes down, as JSON, every test result Allure read: its name, status
// and labels. scripts/check-consumer.py compares that with what pytest ran.
import { writeFile } from "node:fs/promises";

export default class SeenByAllure {
  constructor(options = {}) {
    this.options = options;
  }

  async done(context, store) {
    const results = await store.allTestResults();
    const label = (result, name) => result.labels.find((l) => l.name === name)?.value ?? "";
    const seen = results.map((result) => ({
      feature: label(result, "feature"),
      name: result.name,
      fullName: result.fullName,
      status: result.status,
      tags: result.labels.filter((label) => label.name === "tag").map((label) => label.value),
    }));
    await writeFile(this.options.output, JSON.stringify(seen, null, 1));
  }
}
