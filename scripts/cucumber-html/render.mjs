// Renders a Cucumber Messages NDJSON file as the official Cucumber HTML report.
// Usage: node render.mjs reports/cucumber.ndjson reports/cucumber.html (scripts/cucumber-html.sh)
import { createReadStream, createWriteStream, readFileSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { CucumberHtmlStream } from '@cucumber/html-formatter'

const [input, output] = process.argv.slice(2)
if (!input || !output) {
  console.error('usage: node render.mjs MESSAGES.ndjson REPORT.html')
  process.exit(2)
}
// Explicit asset paths and template: the formatter finds its own with import.meta.dirname, which
// needs Node >= 20.11, and Debian bookworm ships Node 18.
const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules/@cucumber/html-formatter/dist')
const formatter = new CucumberHtmlStream(
  path.join(dist, 'main.css'),
  path.join(dist, 'main.js'),
  path.join(dist, 'src', 'icon.url'),
)
formatter.template = readFileSync(path.join(dist, 'src', 'index.mustache'), 'utf-8')

async function* envelopes() {
  let number = 0
  for await (const line of createInterface({ input: createReadStream(input), crlfDelay: Infinity })) {
    number += 1
    if (!line.trim()) continue
    try {
      yield JSON.parse(line)
    } catch (error) {
      throw new Error(`${input}:${number}: not a JSON envelope: ${error.message}`)
    }
  }
}

await pipeline(
  Readable.from(envelopes()),
  formatter,
  createWriteStream(output),
)
