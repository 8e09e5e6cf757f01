"""The offline world, outside the pipeline package: the replay server and its generators,
local alert receivers, the local Airflow stacks and the demo driver (`make demo`)."""
