// Allure 3 reads the per-feature Cucumber JSON files (its reader takes only the first feature of
// a file) and hands every result to seen-by-allure.mjs. Paths come from .ci/run.
const here = new URL(".", import.meta.url).pathname;

export default {
  output: process.env.ALLURE_OUTPUT,
  plugins: {
    seen: {
      import: `${here}seen-by-allure.mjs`,
      options: { output: process.env.ALLURE_SEEN },
    },
  },
};
