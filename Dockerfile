# quizapp in a container: gunicorn through `quizapp serve`, as a user without privileges.
# Build: docker build -t quizapp .   Run with PostgreSQL: docker compose up (compose.yaml).
# State (the SQLite database when no QUIZAPP_DATABASE_URL is given, the generated secret key,
# the metrics files of the workers) lives in the volume /var/lib/quizapp. See docs/deployment.md.

FROM python:3.12-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY quizapp ./quizapp
COPY templates ./templates
COPY decks ./decks
COPY migrations ./migrations
RUN python -m venv /opt/quizapp \
    && /opt/quizapp/bin/pip install --no-cache-dir '.[postgres]'

FROM python:3.12-slim-bookworm
RUN groupadd --system --gid 10001 quizapp \
    && useradd --system --uid 10001 --gid quizapp --no-create-home \
       --home-dir /var/lib/quizapp --shell /usr/sbin/nologin quizapp \
    && mkdir -p /var/lib/quizapp \
    && chown quizapp:quizapp /var/lib/quizapp \
    && chmod 0700 /var/lib/quizapp
COPY --from=build /opt/quizapp /opt/quizapp
ENV PATH=/opt/quizapp/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    QUIZAPP_INSTANCE_PATH=/var/lib/quizapp \
    QUIZAPP_LOG_FORMAT=json
USER 10001:10001
WORKDIR /var/lib/quizapp
VOLUME ["/var/lib/quizapp"]
EXPOSE 5000
# No curl in the image: the standard library asks /healthz (any failure exits non-zero).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/healthz', timeout=4)"]
STOPSIGNAL SIGTERM
CMD ["quizapp", "serve", "--host", "0.0.0.0", "--port", "5000"]
