# The image of every Airflow service in docker-compose.yaml: Airflow's official image
# (the same Airflow and Python versions as requirements.txt) plus the project's exact
# runtime pins; development and test tools (requirements-dev.txt) stay out of the image.
# The project's code is not baked in: dags/, plugins/ and include/ are mounted.
FROM apache/airflow:3.3.2-python3.11
COPY requirements.txt /requirements.txt
RUN pip install --no-cache-dir -r /requirements.txt
