# One image for every part of the home: the hub (under gunicorn), the devices, the tools.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 home
WORKDIR /app

# Dependencies first, in their own layer: code changes do not reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))" > requirements.txt \
 && pip install -r requirements.txt

COPY protocol ./protocol
COPY cli ./cli
COPY broker ./broker
COPY devices ./devices
COPY hub ./hub
COPY web ./web
COPY home ./home
COPY home.toml ./
RUN pip install --no-deps . && mkdir -p /data && chown home:home /data

USER home
VOLUME ["/data"]
EXPOSE 8000
CMD ["python", "-m", "hub", "--help"]
