# The newsvault image used by docker-compose.yml.
FROM python:3.11-slim

# The replay tools (pywb, wacz) pin libraries that conflict with newsvault's,
# so they get their own virtual environment, found through NEWSVAULT_PYWB_VENV.
RUN python -m venv /opt/replay-tools \
    && /opt/replay-tools/bin/pip install --no-cache-dir --upgrade pip \
    && /opt/replay-tools/bin/pip install --no-cache-dir 'pywb>=2.8,<3' 'wacz>=0.5,<0.7'
ENV NEWSVAULT_PYWB_VENV=/opt/replay-tools

WORKDIR /app
COPY pyproject.toml README.md ./
COPY newsvault ./newsvault
COPY spiders ./spiders
COPY pipelines ./pipelines
COPY storage ./storage
RUN pip install --no-cache-dir --upgrade pip && pip install --no-cache-dir .

RUN useradd --create-home --uid 1000 newsvault && mkdir -p /app/.newsvault \
    && chown newsvault /app/.newsvault
USER newsvault
CMD ["newsvault", "--help"]
