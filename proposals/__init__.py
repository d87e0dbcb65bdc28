"""The proposal assembler: consortium suggestion, templates, context, rendering and packs.

The functions other parts call: ``proposals.consortium.suggest_consortium``,
``proposals.pack.build_pack``, ``proposals.pack.being_formed``,
``proposals.pack.packs_for_member``, ``proposals.pack.list_packs`` and
``proposals.lint.check_templates``.
"""
