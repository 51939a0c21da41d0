"""docker-compose.yml cannot run here (no Docker engine): check that it is well formed and complete."""

import yaml

from etl import settings

COMPOSE = settings.PROJECT_ROOT / "docker-compose.yml"
AIRFLOW_SERVICES = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer",
                    "airflow-init"}


def load():
    return yaml.safe_load(COMPOSE.read_text())


def test_has_postgres_and_the_airflow_services():
    assert {"postgres"} | AIRFLOW_SERVICES <= set(load()["services"])


def test_every_dependency_volume_and_mount_exists():
    spec = load()
    services, volumes = spec["services"], set(spec.get("volumes") or {})
    for name, service in services.items():
        for dependency in service.get("depends_on") or {}:
            assert dependency in services, f"{name} depends on unknown {dependency}"
        for mount in service.get("volumes") or []:
            host = mount.split(":")[0]
            if host.startswith("."):
                assert (settings.PROJECT_ROOT / host).exists(), f"{name} mounts missing {host}"
            else:
                assert host in volumes, f"{name} uses undeclared volume {host}"
        if "build" in service:
            assert (settings.PROJECT_ROOT / service["build"] / "Dockerfile").exists()


def test_airflow_services_share_one_configuration():
    services = load()["services"]
    urls = {services[s]["environment"]["DATABASE_URL"] for s in AIRFLOW_SERVICES}
    assert len(urls) == 1 and "postgres" in urls.pop()


def test_published_ports_are_on_localhost_only():
    for name, service in load()["services"].items():
        for port in service.get("ports") or []:
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond this machine"


def test_airflow_requires_a_login_and_every_secret_comes_from_env():
    import re

    services = load()["services"]
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS"] == "false"
        for key in ("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__CORE__FERNET_KEY"):
            assert re.fullmatch(r"\$\{\w+:\?[^}]+\}", env[key]), f"{name}: {key} is not a required .env variable"
        for key in ("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "DATABASE_URL"):
            assert ":${POSTGRES_PASSWORD:?" in env[key], f"{name}: {key} has a fixed password"
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_env_example_explains_every_variable_and_env_is_not_committed():
    import re

    used = set(re.findall(r"(?<!\$)\$\{(\w+)", COMPOSE.read_text()))  # $${X} is left to the shell
    example = (settings.PROJECT_ROOT / ".env.example").read_text()
    explained = set(re.findall(r"^(\w+)=", example, re.M))
    assert used <= explained, f"not in .env.example: {used - explained}"
    assert ".env" in (settings.PROJECT_ROOT / ".gitignore").read_text().split()


def test_the_celery_profile_has_a_broker_two_workers_and_flower_on_the_common_configuration():
    services = load()["services"]
    celery = {name for name, service in services.items() if "celery" in service.get("profiles", [])}
    assert celery == {"redis", "airflow-worker", "flower"}
    worker = services["airflow-worker"]
    assert worker["command"] == "celery worker" and worker["deploy"]["replicas"] == 2
    assert worker["environment"]["DATABASE_URL"] == services["airflow-scheduler"]["environment"]["DATABASE_URL"]
    assert "redis" in worker["depends_on"] and "redis" in services["flower"]["depends_on"]
    executor = services["airflow-scheduler"]["environment"]["AIRFLOW__CORE__EXECUTOR"]
    assert executor == "${AIRFLOW_EXECUTOR:-LocalExecutor}"  # CeleryExecutor when the profile is used
    assert services["airflow-scheduler"]["environment"]["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://:@redis:")
    # as in the quick-start, every Airflow service waits for a healthy broker, but only where the profile runs
    # one (required: false); a worker or Flower without it does not start at all
    for name in AIRFLOW_SERVICES:
        assert services[name]["depends_on"]["redis"] == {"condition": "service_healthy", "required": False}, name
    for name in ("airflow-worker", "flower"):
        assert services[name]["depends_on"]["redis"].get("required", True), name


def test_the_scheduler_serves_the_health_check_its_healthcheck_asks_for():
    scheduler = load()["services"]["airflow-scheduler"]
    assert ":8974/health" in " ".join(scheduler["healthcheck"]["test"])
    assert scheduler["environment"]["AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK"] == "true"
