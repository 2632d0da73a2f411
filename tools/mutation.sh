#!/usr/bin/env bash
# Mutation testing of the decider, SLA, calendar and timer modules (docs/testing.md).
#
#   tools/mutation.sh                         every module in [tool.mutmut] only_mutate
#   tools/mutation.sh 'ticketflow._decide.*'  only these mutants (mutmut's name globs)
#
# Runs mutmut on a copy of the committed tree (HEAD), so the checkout gets no mutants/
# folder and an uncommitted edit does not count; the copy is kept between runs
# (MUTATION_DIR, default $TMPDIR/ticketflow-mutation) while HEAD stays the same, so an
# interrupted run goes on where it stopped. A new HEAD starts from nothing: mutmut's
# incremental statistics re-run only new tests, so an old test that now calls a new
# function would not be counted as covering it, and its mutants would "survive". One
# test process unless MUTATION_CHILDREN says more; Hypothesis tests draw
# MUTATION_MAX_EXAMPLES examples (10). Prints the score table.
set -euo pipefail

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=${MUTATION_DIR:-${TMPDIR:-/tmp}/ticketflow-mutation}
python=${PYTHON:-$repo/.venv/bin/python}
mutmut=$(dirname "$python")/mutmut

head=$(git -C "$repo" rev-parse HEAD)
mkdir -p "$work"
if [ "$(cat "$work/.mutated-commit" 2>/dev/null || true)" != "$head" ]; then
    rm -rf "$work/mutants"
    echo "$head" > "$work/.mutated-commit"
fi
# The committed tree over the copy: the same commit's results in mutants/ stay.
git -C "$repo" archive HEAD | tar -x -C "$work"
cd "$work"
echo "mutating $(git -C "$repo" rev-parse --short HEAD) in $work"
# The plugin loads the fewer-examples Hypothesis profile in every test run.
PYTHONPATH="$work/tools" PYTEST_ADDOPTS="-p mutation_hypothesis" \
    "$mutmut" run --max-children "${MUTATION_CHILDREN:-1}" "$@"
"$python" tools/mutation_scores.py mutants tools/equivalent_mutants.txt
