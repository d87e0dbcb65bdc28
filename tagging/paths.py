"""Where the tagging package keeps its data, config and trained pipelines.

Kept apart from the modules that import spaCy, so that the command line can name these
defaults without paying for spaCy's import.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
DATA_DIR = PACKAGE_DIR / "data"
TRAIN_PATH = DATA_DIR / "train.jsonl"
DEV_PATH = DATA_DIR / "dev.jsonl"
# A second, blind labelling of development calls (bench/label_agreement.py).
SECOND_LABELS_PATH = DATA_DIR / "dev_second_labels.jsonl"
CORRECTIONS_GLOB = "corrections*.jsonl"
CONFIG_PATH = PACKAGE_DIR / "configs" / "tagger.cfg"
MODELS_DIR = PACKAGE_DIR / "models"
