//! Contiguity-aware fixing (the paper's): with contiguity, serving i from hub j takes a path of
//! j's units from j to i, and every unit on it pays at least its own forced cost, so the least
//! such path (Dijkstra over vertex weights) bounds what forcing x(i,j) costs.

/// For every unit of hub j's column, the least sum of forced costs `rc` over a path from j to
/// it through the column's units (j itself free): with contiguity every unit on the path is in
/// j's area, and each adds at least its own forced cost to the knapsack (weak duality).
pub(super) fn path_costs(nb: &[Vec<usize>], hub: usize, rc: &[(usize, f64)], n: usize) -> Vec<(usize, f64)> {
    let mut w = vec![f64::INFINITY; n];
    for &(i, r) in rc {
        w[i] = r;
    }
    w[hub] = 0.0;
    let mut dist = vec![f64::INFINITY; n];
    dist[hub] = 0.0;
    let mut heap = std::collections::BinaryHeap::new();
    heap.push((std::cmp::Reverse(Ordered(0.0)), hub));
    while let Some((std::cmp::Reverse(Ordered(du)), u)) = heap.pop() {
        if du > dist[u] {
            continue;
        }
        for &v in &nb[u] {
            let dv = du + w[v];
            if dv < dist[v] {
                dist[v] = dv;
                heap.push((std::cmp::Reverse(Ordered(dv)), v));
            }
        }
    }
    rc.iter().map(|&(i, r)| (i, dist[i].max(r))).collect()
}

/// An f64 ordered by `total_cmp`, for the heap.
#[derive(PartialEq)]
struct Ordered(f64);
impl Eq for Ordered {}
impl PartialOrd for Ordered {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Ordered {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}
