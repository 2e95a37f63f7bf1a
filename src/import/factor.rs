//! Step lists for what jobs repeat: a run of two or more steps that appears
//! more than once, exactly (comments included), becomes `steps "NAME" { … }`
//! and each place it stood `steps "NAME"`. The spec then says the same:
//! `parse` puts the steps back where the lists are used.
//!
//! The runs are picked greedily, the one that saves the most steps first
//! (then the longest, then the first written), until no run repeats.

use std::collections::BTreeMap;

use super::kdl::{Node, Value, print};

/// Where a job stands among `nodes`: the workflow's index, the job's index
/// among the workflow's children.
type JobAt = (usize, usize);

/// Where a run of steps stands: its job and the index of its first step.
type Place = (JobAt, usize);

/// A run of steps, by its text: when it was first seen, its length, and
/// its places in spec order.
type Windows = BTreeMap<String, (usize, usize, Vec<Place>)>;

/// Replaces every repeated run of steps in the jobs of `nodes` by a use of
/// a step list, and returns the lists' definitions, in the order made.
pub fn step_lists(nodes: &mut [Node]) -> Vec<Node> {
    let mut lists = Vec::new();
    let mut names: Vec<String> = Vec::new();
    while let Some((window, places)) = best(nodes) {
        let name = unique(&base_name(&window), &names);
        names.push(name.clone());
        // From the last place to the first, so earlier indices hold.
        for &((workflow, job), start) in places.iter().rev() {
            let Some(children) =
                nodes[workflow].children.as_mut().and_then(|w| w[job].children.as_mut())
            else {
                continue;
            };
            children.splice(start..start + window.len(), [Node::new("steps").arg(name.as_str())]);
        }
        let mut list = Node::new("steps").arg(name.as_str());
        list.children = Some(window);
        lists.push(list);
    }
    lists
}

/// The run of steps that saves the most, and where it stands (each place
/// `(job, index of its first step)`, in spec order, never overlapping).
fn best(nodes: &[Node]) -> Option<(Vec<Node>, Vec<Place>)> {
    // Every window of two or more steps, by its text: when it was first
    // seen, its length, and its places in spec order.
    let mut windows: Windows = BTreeMap::new();
    for (w, workflow) in nodes.iter().enumerate() {
        if workflow.name != "workflow" {
            continue;
        }
        for (j, job) in workflow.children.iter().flatten().enumerate() {
            if job.name != "job" {
                continue;
            }
            let children = job.children.as_deref().unwrap_or_default();
            for (start, end) in segments(children) {
                for from in start..end {
                    for to in from + 2..=end {
                        let seen = windows.len();
                        let entry = windows
                            .entry(print(&children[from..to]))
                            .or_insert_with(|| (seen, to - from, Vec::new()));
                        entry.2.push(((w, j), from));
                    }
                }
            }
        }
    }
    // Most steps saved, then the longest, then the first seen.
    let (_, len, places) = windows
        .into_values()
        .map(|(seen, len, places)| (seen, len, apart(&places, len)))
        .filter(|(_, _, places)| places.len() >= 2)
        .max_by_key(|(seen, len, places)| {
            ((places.len() - 1) * len, *len, std::cmp::Reverse(*seen))
        })?;
    let ((w, j), from) = places[0];
    let children =
        nodes[w].children.as_deref().and_then(|c| c[j].children.as_deref()).unwrap_or_default();
    Some((children[from..from + len].to_vec(), places))
}

/// Places that do not overlap, in order (within one job, a place that
/// starts inside the previous one is dropped).
fn apart(places: &[(JobAt, usize)], len: usize) -> Vec<(JobAt, usize)> {
    let mut kept: Vec<(JobAt, usize)> = Vec::new();
    for &(job, from) in places {
        if kept.last().is_some_and(|&(j, f)| j == job && from < f + len) {
            continue;
        }
        kept.push((job, from));
    }
    kept
}

/// The maximal runs of consecutive steps among a job's children, as
/// `(start, end)`.
fn segments(children: &[Node]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, child) in children.iter().enumerate() {
        let step = matches!(child.name.as_str(), "run" | "uses") && !is_call(child);
        match (step, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, children.len()));
    }
    runs.retain(|(s, e)| e - s >= 2);
    runs
}

/// A `uses` of a workflow file: a call, not a step.
fn is_call(node: &Node) -> bool {
    node.name == "uses"
        && matches!(node.args.first(), Some(Value::String(s)) if s.contains(".yml") || s.contains(".yaml"))
        && matches!(node.args.first(), Some(Value::String(s)) if s.contains("/workflows/"))
}

/// A name for the list: its first step's `name`, or its action's name, as
/// a short slug; a checkout says little, so the step after it names a list
/// that starts with one.
fn base_name(window: &[Node]) -> String {
    let checkout = |n: &Node| {
        n.name == "uses"
            && matches!(n.args.first(), Some(Value::String(s)) if s.split('@').next().is_some_and(|p| p.ends_with("/checkout")))
    };
    let first = window.iter().find(|n| !checkout(n)).unwrap_or(&window[0]);
    let named = first.props.iter().find(|(k, _)| k == "name").and_then(|(_, v)| match v {
        Value::String(s) => Some(s.as_str()),
        _ => None,
    });
    let action = (first.name == "uses")
        .then(|| match first.args.first() {
            Some(Value::String(s)) => {
                let path = s.split('@').next().unwrap_or(s);
                path.rsplit('/').next()
            }
            _ => None,
        })
        .flatten();
    let slug: String = named
        .or(action)
        .unwrap_or("setup")
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let slug: Vec<&str> = slug.split('-').filter(|p| !p.is_empty()).take(4).collect();
    if slug.is_empty() { "setup".to_owned() } else { slug.join("-") }
}

fn unique(base: &str, taken: &[String]) -> String {
    let mut name = base.to_owned();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(script: &str) -> Node {
        Node::new("run").arg(script)
    }

    fn job(id: &str, children: Vec<Node>) -> Node {
        let mut job = Node::new("job").arg(id);
        job.children = Some(children);
        job
    }

    fn workflow(jobs: Vec<Node>) -> Node {
        let mut workflow = Node::new("workflow").arg("ci");
        workflow.children = Some(jobs);
        workflow
    }

    #[test]
    fn a_run_two_jobs_share_becomes_one_list() {
        let mut nodes = vec![workflow(vec![
            job("a", vec![run("setup"), run("install"), run("test")]),
            job("b", vec![run("setup"), run("install"), run("lint")]),
        ])];
        let lists = step_lists(&mut nodes);
        assert_eq!(lists.len(), 1);
        assert_eq!(lists[0].children.as_ref().map(Vec::len), Some(2));
        let a = &nodes[0].children.as_ref().unwrap()[0];
        assert_eq!(a.children.as_ref().unwrap()[0].name, "steps");
        assert_eq!(a.children.as_ref().unwrap()[1], run("test"));
    }

    #[test]
    fn a_checkout_node_or_a_single_step_is_never_part_of_a_list() {
        let checkout = Node::new("checkout");
        let mut nodes = vec![workflow(vec![
            job("a", vec![run("one"), checkout.clone(), run("two")]),
            job("b", vec![run("one"), checkout, run("two")]),
        ])];
        assert!(step_lists(&mut nodes).is_empty());
    }

    #[test]
    fn places_in_one_job_do_not_overlap() {
        let mut nodes =
            vec![workflow(vec![job("a", vec![run("x"), run("x"), run("x"), run("y")])])];
        let lists = step_lists(&mut nodes);
        // `x x` twice would overlap: nothing repeats apart.
        assert!(lists.is_empty(), "{lists:?}");
    }
}
