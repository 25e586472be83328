"""`python -m sitegen.kinds` prints the README's front-matter table of posts and pages."""

from sitegen.kinds.posts import front_matter_table

print(front_matter_table(), end="")
