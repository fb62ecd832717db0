# The Audit Vault acceptance suite, ready to run:
#   docker build -t vault-automation-test .
#   docker run --rm vault-automation-test
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, in their own layer: editing code does not reinstall them.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

RUN useradd --create-home --uid 10001 --user-group vault \
    && mkdir -p /app/reports \
    && chown vault:vault /app/reports

COPY . .

# Bytecode, written once here: the container writes none (PYTHONDONTWRITEBYTECODE, --read-only),
# so each start would compile the project and rewrite the tests' asserts again, ~0.5 s of CPU.
# compileall for the modules, a collection (writing no reports) for pytest's rewritten ones.
RUN PYTHONDONTWRITEBYTECODE='' python -m compileall -q vault steps reporting conformance \
    && PYTHONDONTWRITEBYTECODE='' python -m pytest --collect-only -qq -p no:cacheprovider \
        -p no:xdist --junitxml= --cucumber-report= --cucumber-per-feature= --gherkin-html= \
        --cucumber-messages= --run-model=

USER 10001:10001

# Reports (report.html, cucumber.json, junit.xml) go to /app/reports; mount it to keep them:
#   docker run --rm -v "$PWD/reports:/app/reports" vault-automation-test
VOLUME ["/app/reports"]

# The fast suite (acceptance + unit tests, see pytest.ini). The console reads as a Gherkin report
# (reporting/terminal.py): every feature once, a status per scenario, the steps of those that did
# not pass; `docker run -t` adds colour. No cache, so the container also runs with --read-only.
# No xdist: neither its workers nor its looponfail plugin (execnet, ~0.15 s of every start).
# The slower tiers need dev-only packages (hypothesis, Flask) and run in CI (.ci/run).
CMD ["python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:xdist.looponfail"]
