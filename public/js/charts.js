/*
 * Draws report charts with Chart.js. Each chart's data sits in a <script type="application/json">
 * block named by the container's data-chart attribute (never executed, so the strict CSP allows
 * it). Without JavaScript nothing is drawn and the tables beside the charts carry every number.
 * Each question's target is a dashed black line; a hidden point is a gap (spanGaps: false) that
 * the gapMarks plugin below shades and labels with its reason, so it is never silently dropped.
 */
;(function () {
  'use strict'
  if (typeof Chart === 'undefined') return

  // Distinct colours with enough contrast on white, and dashes so lines differ without colour.
  var colours = ['#1d70b8', '#d4351c', '#00703c', '#4c2c92', '#b58840', '#f47738', '#28a197', '#5694ca']
  var dashes = [[], [6, 4], [2, 3], [10, 4, 2, 4], [1, 2], [8, 2]]

  /*
   * Shades each position where a question has no point and writes why ("fewer than 5 answers"),
   * once per position however many questions have a gap there. What it drew is kept on the chart
   * ($gapMarks) so a test can read it.
   */
  var gapMarks = {
    id: 'gapMarks',
    afterDatasetsDraw: function (chart) {
      var gaps = (chart.options.plugins.gapMarks && chart.options.plugins.gapMarks.gaps) || []
      var area = chart.chartArea
      var x = chart.scales.x
      var step =
        chart.data.labels.length > 1 ? Math.abs(x.getPixelForValue(1) - x.getPixelForValue(0)) : area.width
      var width = Math.max(12, Math.min(28, step * 0.6))
      var ctx = chart.ctx
      chart.$gapMarks = []
      gaps.forEach(function (gap) {
        var centre = x.getPixelForValue(gap.index)
        ctx.save()
        ctx.fillStyle = 'rgba(80, 90, 95, 0.12)'
        ctx.fillRect(centre - width / 2, area.top, width, area.bottom - area.top)
        ctx.strokeStyle = '#505a5f'
        ctx.setLineDash([3, 3])
        ctx.strokeRect(centre - width / 2, area.top, width, area.bottom - area.top)
        ctx.translate(centre + 4, area.bottom - 6)
        ctx.rotate(-Math.PI / 2)
        ctx.fillStyle = '#0b0c0c'
        ctx.font = '12px sans-serif'
        ctx.fillText(gap.reasons.join('; '), 0, 0)
        ctx.restore()
        chart.$gapMarks.push({ index: gap.index, x: centre, reasons: gap.reasons })
      })
    },
  }

  /** The positions with a gap in any question, with their reasons (each said once). */
  function gapsOf(datasets) {
    var byIndex = {}
    datasets.forEach(function (dataset) {
      ;(dataset.gaps || []).forEach(function (gap) {
        var reasons = (byIndex[gap.index] = byIndex[gap.index] || [])
        if (reasons.indexOf(gap.reason) === -1) reasons.push(gap.reason)
      })
    })
    return Object.keys(byIndex)
      .map(Number)
      .sort(function (a, b) {
        return a - b
      })
      .map(function (index) {
        return { index: index, reasons: byIndex[index] }
      })
  }

  document.querySelectorAll('[data-chart]').forEach(function (container) {
    var source = document.getElementById(container.getAttribute('data-chart'))
    if (!source) return
    var data
    try {
      data = JSON.parse(source.textContent || '{}')
    } catch {
      return
    }
    if (!data.labels || data.labels.length === 0) return

    var canvas = document.createElement('canvas')
    canvas.setAttribute('role', 'img')
    canvas.setAttribute('aria-label', data.title + '. The same numbers are in the table below.')
    container.appendChild(canvas)

    new Chart(canvas, {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: data.datasets
          .map(function (dataset, index) {
            var colour = colours[index % colours.length]
            return {
              label: dataset.label,
              data: dataset.data,
              borderColor: colour,
              backgroundColor: colour,
              borderDash: data.type === 'line' ? dashes[index % dashes.length] : undefined,
              spanGaps: false,
              pointRadius: 4,
            }
          })
          .concat(
            (data.targets || []).map(function (target) {
              return {
                type: 'line',
                label: target.label,
                isTarget: true,
                data: data.labels.map(function () {
                  return target.value
                }),
                borderColor: '#0b0c0c',
                backgroundColor: '#0b0c0c',
                borderWidth: 2,
                borderDash: [8, 4],
                pointRadius: 0,
                fill: false,
                order: -1,
              }
            }),
          ),
      },
      plugins: [gapMarks],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          y: {
            min: 0,
            max: 100,
            ticks: {
              callback: function (value) {
                return value + '%'
              },
            },
          },
        },
        plugins: {
          gapMarks: { gaps: gapsOf(data.datasets) },
          legend: { position: 'bottom', labels: { boxWidth: 18, font: { size: 11 } } },
          title: { display: true, text: data.title },
          tooltip: {
            callbacks: {
              label: function (context) {
                return context.dataset.label + ': ' + context.parsed.y + '%'
              },
            },
          },
        },
      },
    })
  })
})()
