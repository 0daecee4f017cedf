/*
 * Draws report charts with Chart.js. Each chart's data sits in a <script type="application/json">
 * block named by the container's data-chart attribute (never executed, so the strict CSP allows
 * it). Without JavaScript nothing is drawn and the tables beside the charts carry every number.
 */
;(function () {
  'use strict'
  if (typeof Chart === 'undefined') return

  // Distinct colours with enough contrast on white, and dashes so lines differ without colour.
  var colours = ['#1d70b8', '#d4351c', '#00703c', '#4c2c92', '#b58840', '#f47738', '#28a197', '#5694ca']
  var dashes = [[], [6, 4], [2, 3], [10, 4, 2, 4], [1, 2], [8, 2]]

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
        datasets: data.datasets.map(function (dataset, index) {
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
        }),
      },
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
          legend: { position: 'bottom', labels: { boxWidth: 24 } },
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
