//! Cycle detection over the job graph, linear in jobs plus edges: Tarjan's
//! strongly connected components, then one shortest cycle per component.

use std::collections::VecDeque;

/// A directed edge: `from` runs before `to`.
#[derive(Clone, Copy, Debug)]
pub struct Edge {
    /// The job that runs first.
    pub from: usize,
    /// The job that runs after it.
    pub to: usize,
}

/// One cycle per strongly connected component of more than one job, as the
/// indices of its edges in order, starting at the component's first job.
/// Cycles are sorted by that job.
pub fn cycles(nodes: usize, edges: &[Edge]) -> Vec<Vec<usize>> {
    let mut adjacency = vec![Vec::new(); nodes];
    for (i, edge) in edges.iter().enumerate() {
        adjacency[edge.from].push((edge.to, i));
    }
    let mut found: Vec<Vec<usize>> = components(&adjacency)
        .into_iter()
        .map(|component| shortest_cycle(&adjacency, &component))
        .collect();
    found.sort_by_key(|cycle| edges[cycle[0]].from);
    found
}

/// Strongly connected components with more than one node (iterative Tarjan).
fn components(adjacency: &[Vec<(usize, usize)>]) -> Vec<Vec<usize>> {
    let n = adjacency.len();
    let mut index: Vec<Option<usize>> = vec![None; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut counter = 0;
    let mut result = Vec::new();
    for root in 0..n {
        if index[root].is_some() {
            continue;
        }
        let mut calls = vec![(root, 0usize)];
        index[root] = Some(counter);
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut next)) = calls.last_mut() {
            if let Some(&(w, _)) = adjacency[v].get(*next) {
                *next += 1;
                match index[w] {
                    None => {
                        index[w] = Some(counter);
                        low[w] = counter;
                        counter += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        calls.push((w, 0));
                    }
                    Some(iw) if on_stack[w] => low[v] = low[v].min(iw),
                    Some(_) => {}
                }
                continue;
            }
            calls.pop();
            if let Some(&(u, _)) = calls.last() {
                low[u] = low[u].min(low[v]);
            }
            if Some(low[v]) == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    result.push(component);
                }
            }
        }
    }
    result
}

/// The shortest cycle through the smallest node of `component`, by breadth-first search.
fn shortest_cycle(adjacency: &[Vec<(usize, usize)>], component: &[usize]) -> Vec<usize> {
    let start = *component.iter().min().unwrap_or(&0);
    let mut inside = vec![false; adjacency.len()];
    for &v in component {
        inside[v] = true;
    }
    let mut came_by: Vec<Option<(usize, usize)>> = vec![None; adjacency.len()];
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &(w, edge) in &adjacency[v] {
            if !inside[w] {
                continue;
            }
            if w == start {
                let mut path = vec![edge];
                let mut at = v;
                while let Some((prev, e)) = came_by[at] {
                    path.push(e);
                    at = prev;
                }
                path.reverse();
                return path;
            }
            if came_by[w].is_none() && w != start {
                came_by[w] = Some((v, edge));
                queue.push_back(w);
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(pairs: &[(usize, usize)]) -> Vec<Edge> {
        pairs.iter().map(|&(from, to)| Edge { from, to }).collect()
    }

    #[test]
    fn a_dag_has_no_cycle() {
        assert!(cycles(4, &edges(&[(0, 1), (1, 2), (0, 2), (2, 3)])).is_empty());
    }

    #[test]
    fn finds_one_cycle_per_component_in_order() {
        let e = edges(&[(0, 1), (1, 2), (2, 0), (3, 4), (4, 3), (2, 3)]);
        let found = cycles(5, &e);
        assert_eq!(found, vec![vec![0, 1, 2], vec![3, 4]]);
    }

    #[test]
    fn picks_the_shortest_cycle_through_the_first_job() {
        let e = edges(&[(0, 1), (1, 2), (2, 3), (3, 0), (1, 0)]);
        assert_eq!(cycles(4, &e), vec![vec![0, 4]]);
    }

    #[test]
    fn long_chains_do_not_recurse() {
        let n = 100_000;
        let mut pairs: Vec<(usize, usize)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        pairs.push((n - 1, 0));
        let found = cycles(n, &edges(&pairs));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), n);
    }
}
