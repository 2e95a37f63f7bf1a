//! Document symbols: each workflow, with its jobs and artifacts.

use std::ops::Range;

use gen_lsp_types::{DocumentSymbol, SymbolKind};

use super::document::View;

/// The outline of the document.
pub fn symbols(view: &View<'_>) -> Vec<DocumentSymbol> {
    let Some(index) = view.analysis.index.as_ref() else { return Vec::new() };
    index
        .workflows
        .iter()
        .filter_map(|workflow| {
            let jobs = workflow.jobs.iter().filter_map(|job| {
                let detail =
                    (!job.needs.is_empty()).then(|| format!("needs {}", job.needs.join(", ")));
                symbol(view, &job.id, detail, SymbolKind::Function, &job.span, &job.extent, None)
            });
            let artifacts = workflow.artifacts.iter().filter_map(|artifact| {
                let detail = artifact.from.as_ref().map(|from| match artifact.to.as_slice() {
                    [] => format!("from {from}"),
                    to => format!("{from} → {}", to.join(", ")),
                });
                symbol(
                    view,
                    &artifact.name,
                    detail,
                    SymbolKind::File,
                    &artifact.span,
                    &artifact.extent,
                    None,
                )
            });
            let children = jobs.chain(artifacts).collect();
            let name = if workflow.id.is_empty() { "workflow" } else { &workflow.id };
            symbol(
                view,
                name,
                None,
                SymbolKind::Module,
                &workflow.span,
                &workflow.extent,
                Some(children),
            )
        })
        .collect()
}

fn symbol(
    view: &View<'_>,
    name: &str,
    detail: Option<String>,
    kind: SymbolKind,
    span: &Option<Range<usize>>,
    extent: &Option<Range<usize>>,
    children: Option<Vec<DocumentSymbol>>,
) -> Option<DocumentSymbol> {
    let extent = extent.clone()?;
    let selection = span.clone().filter(|s| extent.start <= s.start && s.end <= extent.end);
    let selection = selection.unwrap_or(extent.start..extent.start);
    #[allow(deprecated)]
    Some(DocumentSymbol {
        name: if name.trim().is_empty() { "(unnamed)".to_owned() } else { name.to_owned() },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: view.range(&extent),
        selection_range: view.range(&selection),
        children,
    })
}
