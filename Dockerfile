# One image for every part of the home: the hub (under gunicorn), the devices, the tools.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 home
WORKDIR /app

# Dependencies first, in their own layer: code changes do not reinstall them. Exactly the
# locked packages (requirements/runtime.txt, made by `make lock`), each checked by its hash.
COPY requirements/runtime.txt ./requirements/
RUN pip install --require-hashes -r requirements/runtime.txt

COPY pyproject.toml README.md ./
COPY protocol ./protocol
COPY common ./common
COPY broker ./broker
COPY devices ./devices
COPY hub ./hub
COPY web ./web
COPY home ./home
COPY home.toml ./
COPY scripts/healthcheck.py ./scripts/
# The project alone: its dependencies are in already and the locked setuptools builds it.
RUN pip install --no-deps --no-build-isolation . \
 && mkdir -p /data /secrets && chown home:home /data /secrets

USER home
VOLUME ["/data"]
EXPOSE 8000
# Podman builds OCI images, which drop HEALTHCHECK (unless --format docker): compose's
# healthcheck runs the same script.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD ["python", "/app/scripts/healthcheck.py"]
CMD ["python", "-m", "hub", "--help"]
