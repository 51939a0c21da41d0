"""vnru's spiders: one generic spider driven by the source registry."""
