"""`cigen lsp` driven by a real client over stdio: pytest-lsp, with the
capabilities it recorded from VS Code and Neovim (and VS Code offering
UTF-8 positions). Run by scripts/lsp-client-test, which names the binary
in $CIGEN."""

import asyncio
import os
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

CIGEN = os.environ["CIGEN"]
URI = "file:///tmp/cigen-lsp-client/pipeline.kdl"

SPEC = """workflow "ci" {
    on { push }
    job "build" {
        outputs version="${{ steps.v.outputs.version }}"
        run "make" id="v"
    }
    job "test" {
        neds "build"
        run "echo ${{ needs.build.outputs.version }}"
    }
    artifact "dist" path="dist/" from="build" to="test"
}
"""

# The recorded clients, and VS Code's profile offering UTF-8 positions: the
# positions below are ASCII, the same in every encoding.
PROFILES = ["visual_studio_code@v1.65.2", "neovim@v0.11.0", "utf-8"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[CIGEN, "lsp"]), params=PROFILES)
async def client(request, lsp_client: LanguageClient):
    if request.param == "utf-8":
        capabilities = client_capabilities("visual_studio_code@v1.65.2")
        capabilities.general = types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16]
        )
    else:
        capabilities = client_capabilities(request.param)
    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=capabilities, root_uri="file:///tmp/cigen-lsp-client")
    )
    # Neovim 0.11 offers utf-8, utf-16 and utf-32; VS Code 1.65 nothing, so utf-16.
    expected = "utf-16" if request.param.startswith("visual_studio_code") else "utf-8"
    assert result.capabilities.position_encoding == expected
    yield
    await lsp_client.shutdown_session()
    # `exit` after `shutdown`: the server ends with status 0.
    assert lsp_client._server.returncode == 0


def at(line, character):
    return {
        "text_document": types.TextDocumentIdentifier(uri=URI),
        "position": types.Position(line=line, character=character),
    }


async def diagnostics(client, version):
    """The diagnostics published for `version` of the document."""

    async def wait():
        while True:
            params = await client.wait_for_notification("textDocument/publishDiagnostics")
            if params.uri == URI and params.version == version:
                return params.diagnostics

    return list(await asyncio.wait_for(wait(), timeout=20))


def open_spec(client, text=SPEC):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=URI, language_id="kdl", version=1, text=text)
        )
    )


def change(client, version, text, start=None, end=None):
    if start is None:
        event = types.TextDocumentContentChangeWholeDocument(text=text)
    else:
        event = types.TextDocumentContentChangePartial(
            range=types.Range(
                start=types.Position(line=start[0], character=start[1]),
                end=types.Position(line=end[0], character=end[1]),
            ),
            text=text,
        )
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=version),
            content_changes=[event],
        )
    )


async def test_diagnostics_and_their_quick_fix(client: LanguageClient):
    open_spec(client)
    found = await diagnostics(client, 1)
    assert [d.code for d in found] == ["cigen::unknown_node"]
    assert found[0].message == "unknown node `neds` in a job\nhelp: did you mean `needs`?"
    assert found[0].range.start == types.Position(line=7, character=8)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=found[0].range,
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    assert [a.title for a in actions] == ["Replace with `needs`"]
    (edit,) = actions[0].edit.changes[URI]
    assert edit.new_text == "needs"
    # Apply it as the editor would: diagnostics clear.
    change(client, 2, "needs", (7, 8), (7, 12))
    assert await diagnostics(client, 2) == []


async def test_completion_hover_and_navigation(client: LanguageClient):
    open_spec(client, SPEC.replace("neds", "needs"))
    await diagnostics(client, 1)
    # Half-typed: a new `needs "` in the test job.
    change(client, 2, '        needs "\n', (8, 0), (8, 0))
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=8, character=15))
    )
    assert [i.label for i in completion.items] == ["build"]
    change(client, 3, "", (8, 0), (9, 0))
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=8, character=37))
    )
    assert [i.label for i in completion.items] == ["outputs", "result"]
    hover = await client.text_document_hover_async(types.HoverParams(**at(7, 9)))
    assert "jobs of the same workflow" in hover.contents.value
    hover = await client.text_document_hover_async(types.HoverParams(**at(6, 10)))
    assert hover.contents.value.startswith("**job `test`**")
    definition = await client.text_document_definition_async(types.DefinitionParams(**at(7, 16)))
    assert [d.range.start.line for d in definition] == [2]
    references = await client.text_document_references_async(
        types.ReferenceParams(**at(2, 10), context=types.ReferenceContext(include_declaration=True))
    )
    assert [r.range.start.line for r in references] == [2, 7, 8, 10]
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=URI))
    )
    assert [s.name for s in symbols[0].children] == ["build", "test", "dist"]


async def test_rename(client: LanguageClient):
    open_spec(client, SPEC.replace("neds", "needs"))
    await diagnostics(client, 1)
    prepared = await client.text_document_prepare_rename_async(types.PrepareRenameParams(**at(7, 16)))
    assert prepared.placeholder == "build"
    edit = await client.text_document_rename_async(types.RenameParams(**at(7, 16), new_name="compile"))
    edits = edit.changes[URI]
    assert len(edits) == 4
    assert {e.new_text for e in edits} == {"compile"}
    with pytest.raises(Exception, match="already has a job `test`"):
        await client.text_document_rename_async(types.RenameParams(**at(7, 16), new_name="test"))


async def test_a_burst_of_edits(client: LanguageClient):
    open_spec(client, SPEC.replace("neds", "needs"))
    await diagnostics(client, 1)
    for version in range(2, 22):
        change(client, version, "// edit\n", (0, 0), (0, 0))
    assert await diagnostics(client, 21) == []


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
