# The Airflow image with vnru installed, for docker-compose.yml (local development).
FROM apache/airflow:3.3.2-python3.11
COPY --chown=airflow:root . /opt/vnru
RUN pip install --no-cache-dir -c /opt/vnru/requirements.lock -e /opt/vnru
