#!/usr/bin/env bash
# Mutation testing of the decider, SLA, calendar and timer modules (docs/testing.md).
#
#   tools/mutation.sh                         every module in [tool.mutmut] only_mutate
#   tools/mutation.sh 'ticketflow._decide.*'  only these mutants (mutmut's name globs)
#
# Runs mutmut on a copy of the committed tree (HEAD), so the checkout gets no mutants/
# folder and an uncommitted edit does not count; the copy is kept between runs
# (MUTATION_DIR, default $TMPDIR/ticketflow-mutation), so a rerun only tests the
# mutants of changed functions. One test process unless MUTATION_CHILDREN says more;
# Hypothesis tests draw MUTATION_MAX_EXAMPLES examples (10). Prints the score table.
set -euo pipefail

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=${MUTATION_DIR:-${TMPDIR:-/tmp}/ticketflow-mutation}
python=${PYTHON:-$repo/.venv/bin/python}
mutmut=$(dirname "$python")/mutmut

mkdir -p "$work"
# The committed tree over the last run's copy: mutmut's results in mutants/ stay.
git -C "$repo" archive HEAD | tar -x -C "$work"
cd "$work"
echo "mutating $(git -C "$repo" rev-parse --short HEAD) in $work"
# The plugin loads the fewer-examples Hypothesis profile in every test run.
PYTHONPATH="$work/tools" PYTEST_ADDOPTS="-p mutation_hypothesis" \
    "$mutmut" run --max-children "${MUTATION_CHILDREN:-1}" "$@"
"$python" tools/mutation_scores.py mutants tools/equivalent_mutants.txt
