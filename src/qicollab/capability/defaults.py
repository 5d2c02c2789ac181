"""The subject areas a new collaborative starts with (faculty can edit or retire them)."""

from __future__ import annotations

# (slug, name, learn, live, lead)
DEFAULT_SUBJECTS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "model-for-improvement",
        "Model for Improvement",
        "I know the three questions and where PDSA cycles fit.",
        "I use the three questions to frame my own improvement project.",
        "I coach teams to write aims, measures and change ideas.",
    ),
    (
        "pdsa-cycles",
        "PDSA cycles",
        "I understand what a Plan-Do-Study-Act cycle is and why tests start small.",
        "I run and document linked PDSA cycles with predictions.",
        "I help teams design ramps of tests and learn from failed ones.",
    ),
    (
        "measurement-spc",
        "Measurement for improvement and SPC",
        "I know the difference between measurement for improvement, judgement and research.",
        "I build run and SPC charts for my project and read their signals.",
        "I design measurement strategies and teach others to interpret variation.",
    ),
    (
        "driver-diagrams",
        "Driver diagrams",
        "I can read a driver diagram and explain primary and secondary drivers.",
        "I have built a driver diagram with my team and use it to choose changes.",
        "I facilitate teams to build and revise driver diagrams.",
    ),
    (
        "process-mapping",
        "Process mapping",
        "I understand why we map a process before changing it.",
        "I have mapped a process with the people who work in it.",
        "I lead mapping events and use them to find waste and risk.",
    ),
    (
        "human-factors-sbar",
        "Human factors and SBAR",
        "I know what human factors are and what SBAR stands for.",
        "I use SBAR and human-factors thinking in my daily work.",
        "I teach human factors and redesign systems with them in mind.",
    ),
    (
        "co-production",
        "Co-production",
        "I understand why people with lived experience are equal partners.",
        "I co-produce improvement work with patients, families or carers.",
        "I build co-production into how my organisation improves.",
    ),
    (
        "coaching",
        "Coaching",
        "I know what an improvement coach does.",
        "I coach a team through an improvement project.",
        "I develop other coaches and a coaching network.",
    ),
    (
        "leading-improvement",
        "Leading improvement",
        "I understand the leader's role in creating the conditions for improvement.",
        "I sponsor or lead improvement work in my service.",
        "I lead an improvement strategy across my organisation.",
    ),
    (
        "safety-culture",
        "Safety culture",
        "I know what a just and learning culture is.",
        "I use safety-culture tools (such as huddles or SCORE) with my team.",
        "I lead culture change and psychological safety across services.",
    ),
)
