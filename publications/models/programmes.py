"""Programmes and initiatives publications and studies belong to (Global Boys Initiative, Disrupting Harm…)."""

from django.db import models


class Programme(models.Model):
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
